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

const getTasks = build.rig.getTasks;
build.rig.getTasks = function () {
  const result = getTasks.call(build.rig);
  result.set('serve', result.get('serve-deprecated'));
  return result;
};

build.initialize(require('gulp'));
