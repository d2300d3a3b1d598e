import type { Logger } from '../logger';
import type { PaymentGateway } from '../integrations/stripe/gateway';
import type { Clock } from './clock';
import type { TokenService } from './identity/tokens';
import type { RateLimiter } from './identity/rate-limiter';

/** Test seams for fault injection; production leaves them unset. */
export interface Faults {
  /** Called inside the webhook transaction after the inbox row is added, before the transition. */
  afterInboxRecorded?: (eventId: string) => void;
}

/** What domain commands are given: time, the gateway port, identity services and the log. */
export interface DomainDeps {
  clock: Clock;
  gateway: PaymentGateway;
  tokens: TokenService;
  loginLimiter: RateLimiter;
  log: Logger;
  faults: Faults;
}
