import { webApp } from '../shared/vite-app.mts';

export default webApp('admin');
