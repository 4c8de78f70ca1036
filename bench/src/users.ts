/**
 * The benchmark's users: ten attributes each, the same values on both sides of every comparison.
 * `n` picks the user; `prefix` keeps the host's writes and the bare loops' writes apart.
 */
export interface BenchUser {
  login: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string;
  department: string;
  title: string;
  phone: string;
  city: string;
  employeeId: string;
}

const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Support', 'Legal', 'Marketing', 'Operations'];
const CITIES = ['Berlin', 'Lisbon', 'Osaka', 'Toronto', 'Nairobi', 'Lima', 'Perth'];

/** The n-th user of a series. */
export function benchUser(n: number, prefix = 'user'): BenchUser {
  const login = `${prefix}${n}`;
  return {
    login,
    givenName: `Given${n}`,
    familyName: `Family${n}`,
    displayName: `Given${n} Family${n}`,
    email: `${login}@example.com`,
    department: DEPARTMENTS[n % DEPARTMENTS.length]!,
    title: `Title ${n % 97}`,
    phone: `+1 555 ${String(n).padStart(7, '0')}`,
    city: CITIES[n % CITIES.length]!,
    employeeId: `E${String(n).padStart(8, '0')}`,
  };
}

/** The SCIM id the host gives an object with a single-valued anchor (base64url of its text). */
export function scimIdOf(anchor: string): string {
  return Buffer.from(anchor, 'utf8').toString('base64url');
}
