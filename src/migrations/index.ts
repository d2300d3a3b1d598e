import { Migration20261127000000_initial } from './Migration20261127000000_initial';

/** Every committed migration, in order. Listed explicitly so the compiled build needs no file globbing. */
export const migrationsList = [{ name: 'Migration20261127000000_initial', class: Migration20261127000000_initial }];
