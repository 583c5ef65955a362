import accessCount from './access-count/schema.json';
import accessDay from './access-day/schema.json';
import accessEvent from './access-event/schema.json';
import auditEvent from './audit-event/schema.json';
import channel from './channel/schema.json';
import customer from './customer/schema.json';
import entitlement from './entitlement/schema.json';
import lease from './lease/schema.json';
import syncRun from './sync-run/schema.json';
import video from './video/schema.json';

export default {
  channel: { schema: channel },
  video: { schema: video },
  customer: { schema: customer },
  entitlement: { schema: entitlement },
  'sync-run': { schema: syncRun },
  'audit-event': { schema: auditEvent },
  lease: { schema: lease },
  'access-event': { schema: accessEvent },
  'access-day': { schema: accessDay },
  'access-count': { schema: accessCount },
};
