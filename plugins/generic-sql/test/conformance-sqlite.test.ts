import { employeesConformance, generatedAnchorConformance } from './support/conformance.js';

employeesConformance('sqlite', 'generic-sql on SQLite');
generatedAnchorConformance('sqlite', 'generic-sql on SQLite, generated anchor');
