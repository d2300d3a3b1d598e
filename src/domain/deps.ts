import type { Alerts } from '../alerts/notifier';
import type { Logger } from '../logger';
import type { Clock } from './clock';
import type { ContentAdvisor } from '../integrations/ai/advisor';
import type { DomainMetrics } from './metrics';
import type { PaymentProviders } from './order/ports';
import type { TokenService } from './identity/tokens';
import type { AttemptCounter, Mailer } from './identity/ports';
import type { RateLimiter } from './identity/rate-limiter';
import type { AiSwitch } from './site/ai-switch';

/** Test seams for fault injection; production leaves them unset. */
export interface Faults {
  /** Called inside the webhook transaction after the inbox row is added, before the transition. */
  afterInboxRecorded?: (eventId: string) => void;
  /** Called inside the expiry job's transaction for each order, before it expires. */
  beforeExpire?: (orderId: string) => void;
}

/** What domain commands are given: time, the payment ports, identity services, the log and the alerts. */
export interface DomainDeps {
  clock: Clock;
  /** The payment providers: `current` takes new attempts; a recorded attempt goes back to its own. */
  payments: PaymentProviders;
  /** The AI Advisory Service's model provider. */
  advisor: ContentAdvisor;
  /** The per-site AI kill switch, answered from memory while the change feed is live. */
  aiSwitch: AiSwitch;
  tokens: TokenService;
  /** Login attempts, counted in PostgreSQL by every server process together. */
  loginLimiter: AttemptCounter;
  /** Carts a client may create per window: a cart is a row, and creating them must not fill the database. */
  cartLimiter: RateLimiter;
  /** Mail to customers (sign-up, password reset): SMTP, or the development outbox. */
  mailer: Mailer;
  log: Logger;
  /** The pluggable notifier: every failure an operator must hear about. */
  alerts: Alerts;
  faults: Faults;
  /** Counts the order moves; none in unit tests and scripts. */
  metrics?: DomainMetrics;
}
