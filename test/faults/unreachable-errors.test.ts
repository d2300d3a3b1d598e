import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { databaseUnreachable } from '../../src/http/service-unavailable';

/** Which driver errors the drills' SERVICE_UNAVAILABLE stands for, one by one (the restart drill meets most of them). */
const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('database unreachable, told from a bug', () => {
  it.each([
    ['connection refused', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', coded('ECONNRESET', 'read ECONNRESET')],
    ['terminating connection (57P01)', coded('57P01', 'terminating connection due to administrator command')],
    ['cannot connect now (57P03)', coded('57P03', 'the database system is shutting down')],
    ['a connection exception (08006)', coded('08006', 'connection failure')],
    [
      'the pool acquire timeout',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
    ],
    ['a socket gone, behind the statement', new Error('select 1 - Client has encountered a connection error and is not queryable')],
    ['every address refused', new AggregateError([coded('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432')], 'connect failed')],
    ['inside a GraphQL error', new GraphQLError('wrapped', { originalError: coded('57P01', 'terminating connection') })],
    ["MikroORM's connection class", new ConnectionException(new Error('lost'))],
    ["pg-pool's connect timeout (a database that does not answer)", new Error('timeout exceeded when trying to connect')],
    ["pg's query read timeout", new Error('Query read timeout')],
  ])('%s: unreachable', (_what, err) => {
    expect(databaseUnreachable(err)).toEqual(expect.any(String));
  });

  it.each([
    ['a unique violation', new UniqueConstraintViolationException(coded('23505', 'duplicate key value violates unique constraint'))],
    ['a syntax error', coded('42601', 'syntax error at or near "selec"')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'ECONNREFUSED'],
  ])('%s: not unreachable', (_what, err) => {
    expect(databaseUnreachable(err)).toBeNull();
  });

  it("logs the driver's words, never the statement and its values", () => {
    const err = coded(
      '57P01',
      "insert into orders (email) values ('ada@example.com') - terminating connection due to administrator command",
    );
    expect(databaseUnreachable(err)).toBe('57P01: terminating connection due to administrator command');
  });
});
