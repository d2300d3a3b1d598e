import type OpenAI from 'openai';
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
  private sdk?: { OpenAI: typeof OpenAI; client: OpenAI };

  constructor(private readonly settings: OpenAISettings) {}

  /** The SDK is loaded on the first suggestion, not at start: most sites run with AI off (a tenth of a warm start). */
  private load() {
    if (!this.sdk) {
      const { OpenAI: SDK } = require('openai') as typeof import('openai');
      const s = this.settings;
      // The SDK defaults to a 10-minute timeout and 2 retries: a slow provider must not hold a request that long.
      this.sdk = { OpenAI: SDK, client: new SDK({ apiKey: s.apiKey, baseURL: s.baseUrl, timeout: s.timeoutMs, maxRetries: 0 }) };
    }
    return this.sdk;
  }

  async suggest(req: AdviceRequest): Promise<Advice> {
    const { OpenAI: SDK, client } = this.load();
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await client.chat.completions.create({
        model: this.settings.model,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `Title: ${req.title}\n\nContent:\n${req.body}\n\nInstruction: ${req.instruction}` },
        ],
      });
    } catch (err) {
      if (!(err instanceof SDK.OpenAIError)) throw err;
      const status = err instanceof SDK.APIError ? err.status : undefined;
      throw new AdvisorError(`The AI provider failed: ${err.message}`, err.constructor.name + (status ? `:${status}` : ''));
    }
    // The answer is the provider's JSON, whatever its declared type: the port promises strings, so only strings pass.
    const content: unknown = completion?.choices?.[0]?.message?.content;
    const model: unknown = completion?.model || this.settings.model;
    if (content != null && typeof content !== 'string')
      throw new AdvisorError('The AI provider answered content that is not text', 'UNUSABLE_ANSWER');
    if (typeof model !== 'string') throw new AdvisorError('The AI provider answered a model name that is not text', 'UNUSABLE_ANSWER');
    const body = typeof content === 'string' ? content.trim() : '';
    if (!body) throw new AdvisorError('The AI provider returned no content');
    return { body, model };
  }
}
