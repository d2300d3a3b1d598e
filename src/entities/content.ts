import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { uuidv7 } from './ids';
import { SuggestionStatus } from './states';

export const CONTENT_SOURCES = ['MANUAL', 'AI_SUGGESTION'] as const;
export type ContentSourceName = (typeof CONTENT_SOURCES)[number];

/** Canonical content of a site. Its body lives in versions; currentVersion moves only in src/domain/content. */
@Entity({ tableName: 'content_items' })
export class ContentItem {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'text' }) slug: string;
  @Property({ type: 'text' }) title: string;
  /** 0 until the first version is appended, in the same transaction that creates the item. */
  @Property({ type: 'integer' }) currentVersion = 0;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(siteId: string, slug: string, title: string, now: Date) {
    this.siteId = siteId;
    this.slug = slug;
    this.title = title;
    this.createdAt = now;
  }
}

/** One immutable body of a content item; numbered 1, 2, ... per item. */
@Entity({ tableName: 'content_versions' })
export class ContentVersion {
  @PrimaryKey({ type: 'uuid' }) id: string = uuidv7();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'uuid' }) contentItemId: string;
  @Property({ type: 'integer' }) number: number;
  @Property({ type: 'text' }) body: string;
  @Enum({ items: () => [...CONTENT_SOURCES] }) source: ContentSourceName;
  @Property({ type: 'uuid', nullable: true }) suggestionId: string | null;
  @Property({ type: 'text' }) createdBy: string;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(fields: {
    siteId: string;
    contentItemId: string;
    number: number;
    body: string;
    source: ContentSourceName;
    suggestionId?: string | null;
    createdBy: string;
    createdAt: Date;
  }) {
    this.siteId = fields.siteId;
    this.contentItemId = fields.contentItemId;
    this.number = fields.number;
    this.body = fields.body;
    this.source = fields.source;
    this.suggestionId = fields.suggestionId ?? null;
    this.createdBy = fields.createdBy;
    this.createdAt = fields.createdAt;
  }
}

/** An AI suggestion for a content item, kept apart from canonical content until an admin approves it. */
@Entity({ tableName: 'suggestions' })
export class Suggestion {
  @PrimaryKey({ type: 'uuid' }) id: string = uuidv7();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'uuid' }) contentItemId: string;
  /** No default: a new suggestion has none until its `request` move (moveSuggestion, the only writer) gives it one. */
  @Enum({ items: () => SuggestionStatus }) status!: SuggestionStatus;
  @Property({ type: 'text' }) instruction: string;
  @Property({ type: 'text' }) body: string;
  @Property({ type: 'integer' }) baseVersion: number;
  @Property({ type: 'text' }) model: string;
  @Property({ type: 'timestamptz' }) createdAt: Date;
  @Property({ type: 'timestamptz', nullable: true }) decidedAt: Date | null = null;
  @Property({ type: 'text', nullable: true }) decidedBy: string | null = null;
  @Property({ type: 'text', nullable: true }) rejectionReason: string | null = null;
  @Property({ type: 'integer', nullable: true }) createdVersion: number | null = null;

  constructor(fields: {
    siteId: string;
    contentItemId: string;
    instruction: string;
    body: string;
    baseVersion: number;
    model: string;
    createdAt: Date;
  }) {
    this.siteId = fields.siteId;
    this.contentItemId = fields.contentItemId;
    this.instruction = fields.instruction;
    this.body = fields.body;
    this.baseVersion = fields.baseVersion;
    this.model = fields.model;
    this.createdAt = fields.createdAt;
  }
}
