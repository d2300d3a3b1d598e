const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id Aegis hands out is a uuid; anything else names nothing (and is never sent to PostgreSQL as one). */
export const isUuid = (id: string): boolean => UUID.test(id);
