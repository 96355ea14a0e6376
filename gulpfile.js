'use strict';

const fs = require('fs');
const path = require('path');
const build = require('@microsoft/sp-build-web');

build.addSuppression(`Warning - [sass] The local CSS class 'ms-Grid' is not camelCase and will not be type-safe.`);
// SPFx 1.21 declares Node 22; the gulp toolchain builds fine on Node 20 and says so once.
build.addSuppression(/Your dev environment is running NodeJS version/);

// tests/support/solutionPackage.ts rebuilds the package when src/ is newer than the last ship
// bundle. Webpack leaves unchanged output files alone, so their times cannot say when that was.
build.rig.addPostBundleTask(
  build.subTask('stamp-ship-bundle', (gulp, config, done) => {
    if (config.production) {
      fs.mkdirSync(path.join(config.rootPath, 'release'), { recursive: true });
      fs.writeFileSync(path.join(config.rootPath, 'release', 'bundled-at.txt'), `${new Date().toISOString()}\n`);
    }
    done();
  }),
);

// package-solution copies teams/ into the package as it finds it; the Teams app package in it
// (TeamsSPFxApp.zip, what "Sync to Teams" deploys) is built from teams/manifest.json first.
const teamsAppPackage = build.subTask('teams-app-package', (gulp, config, done) => {
  const { spawnSync } = require('child_process');
  const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(config.rootPath, 'scripts/teamsAppPackage.ts')], {
    cwd: config.rootPath,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    done(new Error(`scripts/teamsAppPackage.ts failed:\n${result.stderr || result.stdout}`));
    return;
  }
  done();
});

const getTasks = build.rig.getTasks;
build.rig.getTasks = function () {
  const result = getTasks.call(build.rig);
  result.set('serve', result.get('serve-deprecated'));
  const packageSolution = result.get('package-solution');
  result.set('package-solution', { ...packageSolution, executable: build.serial(teamsAppPackage, packageSolution.executable) });
  return result;
};

build.initialize(require('gulp'));
