/** Minor units as the shopper reads them: 1999 EUR is "€19.99". */
export function money(minor: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 100);
}
