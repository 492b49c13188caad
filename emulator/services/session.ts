/**
 * Session: users and the script time zone, per execution. The effective user is the user the execution
 * runs as (the trigger's creator for a trigger, the deploying user for the web app, the user at the
 * keyboard otherwise). The active user's email is '' for an anonymous web-app visitor and, like both
 * users', in LIMITED mode (simple triggers): Session reference, getActiveUser(): the email "is not
 * available in any context that allows a script to run without that user's authorization, like a
 * simple onOpen(e) or onEdit(e) trigger ... or a web app deployed to 'execute as me'".
 */
import { createHash } from 'node:crypto';
import type { Scope } from './execution';
import { registerType } from './registry';

export class UserFake implements Pick<GoogleAppsScript.Base.User, 'getEmail'> {
  constructor(private readonly email: string) {}
  getEmail(): string {
    return this.email;
  }
}
registerType(UserFake, 'Session.User');

export class SessionFake implements Pick<
  GoogleAppsScript.Base.Session,
  'getActiveUser' | 'getEffectiveUser' | 'getScriptTimeZone' | 'getTemporaryActiveUserKey' | 'getActiveUserLocale'
> {
  constructor(private readonly scope: Scope) {}

  getActiveUser(): GoogleAppsScript.Base.User {
    const { exec } = this.scope;
    const hidden = exec.kind === 'web' || exec.authMode === 'LIMITED';
    return new UserFake(hidden ? '' : exec.user) as unknown as GoogleAppsScript.Base.User;
  }
  getEffectiveUser(): GoogleAppsScript.Base.User {
    const { exec } = this.scope;
    return new UserFake(exec.authMode === 'LIMITED' ? '' : exec.user) as unknown as GoogleAppsScript.Base.User;
  }
  getScriptTimeZone(): string {
    return this.scope.world.config.scriptTimeZone;
  }
  getTemporaryActiveUserKey(): string {
    return createHash('sha256').update(`${this.scope.world.config.scriptId}:${this.scope.exec.user}`).digest('base64url').slice(0, 43);
  }
  getActiveUserLocale(): string {
    return 'en';
  }
}
registerType(SessionFake, 'Session');
