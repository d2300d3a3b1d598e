import pino from 'pino';

/** JSON logs in every environment. */
export const logger = pino({ level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info') });
export type Logger = typeof logger;
