import { describeLive } from './support/live.js';
import { employeesConformance, generatedAnchorConformance, groupsConformance } from './support/conformance.js';
import { probePg } from './support/targets.js';

const server = await probePg();

describeLive(server, 'generic-sql conformance on PostgreSQL', () => {
  employeesConformance('postgresql', 'generic-sql on PostgreSQL');
  generatedAnchorConformance('postgresql', 'generic-sql on PostgreSQL, generated anchor');
  groupsConformance('postgresql', 'generic-sql on PostgreSQL, users and groups');
});
