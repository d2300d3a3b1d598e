import { createRoot } from 'react-dom/client';
import '../../shared/base.css';

function App() {
  return (
    <main>
      <h1>Aegis shop</h1>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
