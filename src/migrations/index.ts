import { Migration20261127000000_initial } from './Migration20261127000000_initial';
import { Migration20261127010000_payment_failures } from './Migration20261127010000_payment_failures';
import { Migration20261127020000_content } from './Migration20261127020000_content';
import { Migration20261127030000_readiness } from './Migration20261127030000_readiness';
import { Migration20261201000000_admin_token_version } from './Migration20261201000000_admin_token_version';
import { Migration20261201010000_draft_expiry } from './Migration20261201010000_draft_expiry';
import { Migration20261201020000_request_role } from './Migration20261201020000_request_role';
import { Migration20261202000000_attempt_provider } from './Migration20261202000000_attempt_provider';
import { Migration20261203000000_gateway_word } from './Migration20261203000000_gateway_word';
import { Migration20261203010000_login_limits } from './Migration20261203010000_login_limits';
import { Migration20261203020000_shard_keys } from './Migration20261203020000_shard_keys';
import { Migration20261204000000_customers } from './Migration20261204000000_customers';
import { Migration20261205000000_stock } from './Migration20261205000000_stock';
import { Migration20261206000000_site_changes } from './Migration20261206000000_site_changes';
import { Migration20261207000000_stock_shortfall } from './Migration20261207000000_stock_shortfall';

/** Every committed migration, in order. Listed explicitly so the compiled build needs no file globbing. */
export const migrationsList = [
  { name: 'Migration20261127000000_initial', class: Migration20261127000000_initial },
  { name: 'Migration20261127010000_payment_failures', class: Migration20261127010000_payment_failures },
  { name: 'Migration20261127020000_content', class: Migration20261127020000_content },
  { name: 'Migration20261127030000_readiness', class: Migration20261127030000_readiness },
  { name: 'Migration20261201000000_admin_token_version', class: Migration20261201000000_admin_token_version },
  { name: 'Migration20261201010000_draft_expiry', class: Migration20261201010000_draft_expiry },
  { name: 'Migration20261201020000_request_role', class: Migration20261201020000_request_role },
  { name: 'Migration20261202000000_attempt_provider', class: Migration20261202000000_attempt_provider },
  { name: 'Migration20261203000000_gateway_word', class: Migration20261203000000_gateway_word },
  { name: 'Migration20261203010000_login_limits', class: Migration20261203010000_login_limits },
  { name: 'Migration20261203020000_shard_keys', class: Migration20261203020000_shard_keys },
  { name: 'Migration20261204000000_customers', class: Migration20261204000000_customers },
  { name: 'Migration20261205000000_stock', class: Migration20261205000000_stock },
  { name: 'Migration20261206000000_site_changes', class: Migration20261206000000_site_changes },
  { name: 'Migration20261207000000_stock_shortfall', class: Migration20261207000000_stock_shortfall },
];
