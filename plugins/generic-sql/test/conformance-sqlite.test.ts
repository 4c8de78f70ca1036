import { employeesConformance } from './support/conformance.js';

employeesConformance('sqlite', 'generic-sql on SQLite');
