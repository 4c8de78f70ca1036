import { employeesConformance, generatedAnchorConformance, groupsConformance } from './support/conformance.js';

employeesConformance('sqlite', 'generic-sql on SQLite');
generatedAnchorConformance('sqlite', 'generic-sql on SQLite, generated anchor');
groupsConformance('sqlite', 'generic-sql on SQLite, users and groups');
