import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed client operations (storefront and admin) from the emitted schema; `npm run codegen`. */
const config: CodegenConfig = {
  schema: 'src/schema/schema.graphql',
  documents: ['clients/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'clients/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars: { DateTimeISO: 'string' }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
