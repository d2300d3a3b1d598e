// The sites an admin may see, as the API answers `sites`: every site for a super admin, the granted ones otherwise.
import { useQuery } from 'urql';
import { ConsoleSitesDocument, type ConsoleSitesQuery } from '../../../clients/generated/graphql';

export type SiteRow = ConsoleSitesQuery['sites']['edges'][number]['node'];

/** The first 100 (the largest page): the switcher lists no more than that. */
export function useVisibleSites() {
  const [r, refetch] = useQuery({ query: ConsoleSitesDocument, variables: { first: 100 } });
  return { sites: r.data?.sites.edges.map((e) => e.node) ?? [], result: r, refetch: () => refetch({ requestPolicy: 'network-only' }) };
}
