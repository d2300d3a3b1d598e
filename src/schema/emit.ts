import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from './build';

// `npm run schema`: writes the emitted SDL that codegen and the contract test read.
const file = path.join(__dirname, '..', '..', 'src', 'schema', 'schema.graphql');
writeFileSync(file, printedSchema());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
