/** /shop/ without a site: every storefront is one site's, at /shop/<siteId>. */
export function Landing() {
  return (
    <main className="page">
      <h1>Aegis shop</h1>
      <p>
        Each storefront belongs to one site: open <code>/shop/&lt;siteId&gt;</code>. <code>npm run demo</code> makes a site with products
        and prints its storefront address.
      </p>
    </main>
  );
}
