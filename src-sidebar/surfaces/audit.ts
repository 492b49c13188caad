import { mount } from '../lib/html';
import { AuditLog } from '../components/audit/AuditLog';

mount('Audit log', AuditLog);
