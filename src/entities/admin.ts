import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Role } from './states';

@Entity({ tableName: 'admins' })
export class Admin {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'text' }) email: string;
  @Property({ type: 'text', lazy: true }) passwordHash: string;
  @Enum({ items: () => Role }) role: Role;
  @Property({ type: 'boolean' }) disabled = false;
  /** Carried in every token issued to the admin; bumping it revokes them all. */
  @Property({ type: 'integer' }) tokenVersion = 0;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(email: string, passwordHash: string, role: Role, now: Date) {
    this.email = email;
    this.passwordHash = passwordHash;
    this.role = role;
    this.createdAt = now;
  }
}

/** A SITE_ADMIN's grant on one site. */
@Entity({ tableName: 'admin_sites' })
export class AdminSite {
  @PrimaryKey({ type: 'uuid' }) adminId: string;
  @PrimaryKey({ type: 'uuid' }) siteId: string;

  constructor(adminId: string, siteId: string) {
    this.adminId = adminId;
    this.siteId = siteId;
  }
}
