import { buildSchema, findBreakingChanges } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from '../../src/schema/build';

const root = path.join(__dirname, '..', '..');
// The project's own copy of the frozen v1 contract (api/), so a clone stands alone.
const contractFile = path.join(root, 'api', 'contract.graphql');
const emittedFile = path.join(root, 'src', 'schema', 'schema.graphql');

describe('GraphQL schema', () => {
  it('is committed as emitted by the code (run `npm run schema` after changing it)', () => {
    expect(readFileSync(emittedFile, 'utf8')).toBe(printedSchema());
  });

  it('has no breaking change against the API contract', () => {
    const contract = buildSchema(readFileSync(contractFile, 'utf8'));
    const emitted = buildSchema(readFileSync(emittedFile, 'utf8'));
    expect(findBreakingChanges(contract, emitted)).toEqual([]);
  });
});
