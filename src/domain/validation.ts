import type { AddressValue } from '../entities';
import { ErrorCode, type UserError } from './errors';

/** Control characters other than tab, newline and carriage return: never legitimate content here (and PostgreSQL refuses NUL). */
// eslint-disable-next-line no-control-regex
export const hasControlChars = (s: string): boolean => /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s);

/** A UTF-16 surrogate without its pair: not text. PostgreSQL's jsonb refuses it, and text columns store U+FFFD instead. */
export const hasLoneSurrogate = (s: string): boolean => /\p{Cs}/u.test(s);

/** Collects VALIDATION errors for a command's input; CONTRACT's input bounds live here. */
export class Validator {
  readonly errors: UserError[] = [];

  private fail(field: string[], message: string): undefined {
    this.errors.push({ code: ErrorCode.VALIDATION, message, field });
    return undefined;
  }

  /** Trims and bounds a string; `optional` lets empty become null. */
  text(field: string[], value: string | null | undefined, max: number, optional = false): string | null {
    const v = (value ?? '').trim();
    if (!v) return optional ? null : (this.fail(field, `${field.join('.')} is required`) ?? '');
    if (hasControlChars(v)) return this.fail(field, `${field.join('.')} contains control characters`) ?? '';
    if (hasLoneSurrogate(v)) return this.fail(field, `${field.join('.')} contains an unpaired UTF-16 surrogate`) ?? '';
    if (v.length > max) return this.fail(field, `${field.join('.')} is longer than ${max} characters`) ?? '';
    return v;
  }

  int(field: string[], value: number, min: number, max: number): number {
    if (!Number.isInteger(value) || value < min || value > max)
      this.fail(field, `${field.join('.')} must be an integer from ${min} to ${max}`);
    return value;
  }

  email(field: string[], value: string): string {
    const v = this.text(field, value, 254) ?? '';
    if (v && !/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/.test(v))
      this.fail(field, `${field.join('.')} is not an email address`);
    return v.toLowerCase();
  }

  country(field: string[], value: string): string {
    const v = (this.text(field, value, 2) ?? '').toUpperCase();
    if (v && !COUNTRIES.has(v)) this.fail(field, `${field.join('.')} is not an ISO 3166-1 alpha-2 country code`);
    return v;
  }

  currency(field: string[], value: string): string {
    const v = (this.text(field, value, 3) ?? '').toUpperCase();
    if (v && !CURRENCIES.has(v)) this.fail(field, `${field.join('.')} is not an ISO 4217 currency code`);
    return v;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}

export const LIMITS = {
  name: 200,
  body: 100_000,
  priceMinor: 100_000_000,
  maxInt: 2_147_483_647,
  addQuantity: { min: 1, max: 1000 },
  lineQuantity: { min: 0, max: 1000 },
  pageSize: 100,
} as const;

const CURRENCIES = new Set((Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency'));

// ISO 3166-1 alpha-2, officially assigned codes.
const COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** CONTRACT's bounds of an address, checkout's and a saved one's alike (a saved address is always one checkout accepts). */
export function checkAddress(v: Validator, field: string[], a: AddressValue): AddressValue {
  const f = (name: string) => [...field, name];
  return {
    name: v.text(f('name'), a.name, LIMITS.name) ?? '',
    line1: v.text(f('line1'), a.line1, LIMITS.name) ?? '',
    line2: v.text(f('line2'), a.line2, LIMITS.name, true),
    city: v.text(f('city'), a.city, LIMITS.name) ?? '',
    postalCode: v.text(f('postalCode'), a.postalCode, 20) ?? '',
    country: v.country(f('country'), a.country),
  };
}
