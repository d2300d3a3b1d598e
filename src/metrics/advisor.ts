import { AdvisorError, type Advice, type AdviceRequest, type ContentAdvisor } from '../integrations/ai/advisor';
import type { AegisMetrics } from './registry';

/** The AI provider port, counted by outcome around any adapter. */
export class MeteredAdvisor implements ContentAdvisor {
  constructor(
    private readonly inner: ContentAdvisor,
    private readonly metrics: AegisMetrics,
  ) {}

  async suggest(req: AdviceRequest): Promise<Advice> {
    try {
      const advice = await this.inner.suggest(req);
      this.metrics.aiCalls.inc({ outcome: 'ok' });
      return advice;
    } catch (err) {
      // The OpenAI adapter names the SDK's error class in the code: APIConnectionTimeoutError when it timed out.
      const timedOut = err instanceof AdvisorError && Boolean(err.code?.includes('Timeout'));
      this.metrics.aiCalls.inc({ outcome: timedOut ? 'timeout' : 'error' });
      throw err;
    }
  }
}
