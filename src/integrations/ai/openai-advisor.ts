import OpenAI from 'openai';
import { AdvisorError, type Advice, type AdviceRequest, type ContentAdvisor } from './advisor';

export interface OpenAISettings {
  apiKey: string;
  /** e.g. http://127.0.0.1:8080/v1: any OpenAI-compatible server. */
  baseUrl?: string;
  model: string;
  timeoutMs: number;
}

const SYSTEM_PROMPT =
  'You are an editorial assistant. Rewrite the content below following the instruction. ' +
  'Answer with the revised body only, without any preamble.';

/** The OpenAI adapter, on the official SDK's Chat Completions API. */
export class OpenAIAdvisor implements ContentAdvisor {
  private readonly client: OpenAI;

  constructor(private readonly settings: OpenAISettings) {
    // The SDK defaults to a 10-minute timeout and 2 retries: a slow provider must not hold a request that long.
    this.client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl, timeout: settings.timeoutMs, maxRetries: 0 });
  }

  async suggest(req: AdviceRequest): Promise<Advice> {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create({
        model: this.settings.model,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `Title: ${req.title}\n\nContent:\n${req.body}\n\nInstruction: ${req.instruction}` },
        ],
      });
    } catch (err) {
      if (!(err instanceof OpenAI.OpenAIError)) throw err;
      const status = err instanceof OpenAI.APIError ? err.status : undefined;
      throw new AdvisorError(`The AI provider failed: ${err.message}`, err.constructor.name + (status ? `:${status}` : ''));
    }
    const body = completion.choices[0]?.message?.content?.trim();
    if (!body) throw new AdvisorError('The AI provider returned no content');
    return { body, model: completion.model || this.settings.model };
  }
}
