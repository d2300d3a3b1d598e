// Rewrites the README's order-process table from the table itself (src/domain/order/process.ts): `npm run docs:states`.
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { describeOrderProcess } = require('../dist/domain/order/describe');

const readme = path.join(__dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const block = /(<!-- order-process:start -->\n)[\s\S]*?(<!-- order-process:end -->)/;
if (!block.test(text)) throw new Error('README.md has no <!-- order-process:start --> ... <!-- order-process:end --> block');
writeFileSync(readme, text.replace(block, `$1${describeOrderProcess()}\n$2`));
console.log('README.md: order-process table rewritten');
