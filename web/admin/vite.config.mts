import type { Plugin } from 'vite';
import { webApp } from '../shared/vite-app.mts';

/**
 * GraphiQL's stylesheet carries its fonts inline as `data:` URLs, which the page's CSP (`font-src 'self'`) refuses
 * with a console error. Its @font-face rules are dropped: the explorer then uses the system's sans-serif and
 * monospace fonts, and nothing is inlined.
 */
function dropInlineFonts(): Plugin {
  return {
    name: 'aegis-drop-inline-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]graphiql[\\/].*\.css(\?|$)/.test(id)) return null;
      return { code: code.replace(/@font-face\s*\{[^}]*\}/g, ''), map: null };
    },
  };
}

const base = webApp('admin');
export default { ...base, plugins: [...(base.plugins ?? []), dropInlineFonts()] };
