/** The AI Advisory Service's port to a model provider: content in, a suggested body out. It never touches storage. */
export interface AdviceRequest {
  title: string;
  body: string;
  instruction: string;
}

export interface Advice {
  body: string;
  /** The model that produced the advice, as the provider reports it. */
  model: string;
}

export interface ContentAdvisor {
  suggest(req: AdviceRequest): Promise<Advice>;
}

/** The provider failed, timed out or answered nothing usable; the message is safe to log. */
export class AdvisorError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AdvisorError';
  }
}
