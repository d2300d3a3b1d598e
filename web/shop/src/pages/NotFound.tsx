import { Link } from 'react-router';
import { useSession } from '../session';

export function NotFound() {
  const { siteId } = useSession();
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link to={`/${siteId}`}>See the products</Link>.
      </p>
    </>
  );
}
