// npm records an optional platform package in package-lock.json only when the registry serves
// it. Our registry mirror serves only the Linux builds of some packages, and `npm ci` then calls
// the lock file out of sync. This adds the missing optional entries with the os/cpu their names
// state, so `npm ci` skips them on Linux exactly as it would with a complete lock file.
// Run after any `npm install` that changes the lock file: `node scripts/completeLockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const cpus = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasm32'];
const oses = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'sunos', 'win32', 'netbsd', 'aix'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => oses.includes(p));
  const cpu = parts.find((p) => cpus.includes(p));
  const libc = parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const prefix = path ? `${path}/node_modules/` : 'node_modules/';
    const candidates = [`${prefix}${name}`, `node_modules/${name}`];
    if (candidates.some((c) => lock.packages[c])) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os || !cpu) continue;
    lock.packages[`node_modules/${name}`] = {
      version,
      cpu: [cpu],
      os: [os],
      ...(libc ? { libc: [libc] } : {}),
      dev: entry.dev || undefined,
      optional: true,
    };
    added += 1;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`completeLockfile: added ${added} optional platform entries`);
