import { describeLive } from './support/live.js';
import { employeesConformance } from './support/conformance.js';
import { probePg } from './support/targets.js';

const server = await probePg();

describeLive(server, 'generic-sql conformance on PostgreSQL', () => {
  employeesConformance('postgresql', 'generic-sql on PostgreSQL');
});
