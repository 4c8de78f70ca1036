import { describeLive } from './support/live.js';
import { employeesConformance, generatedAnchorConformance, groupsConformance } from './support/conformance.js';
import { probeMysql } from './support/targets.js';

const server = await probeMysql();

describeLive(server, 'generic-sql conformance on MariaDB', () => {
  employeesConformance('mysql', 'generic-sql on MariaDB');
  generatedAnchorConformance('mysql', 'generic-sql on MariaDB, generated anchor');
  groupsConformance('mysql', 'generic-sql on MariaDB, users and groups');
});
