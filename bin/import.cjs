// import() in a file of its own: bin/stacklint.js must parse on any node, and an old one rejects this syntax.
'use strict';
module.exports = function importModule(url) {
  return import(url);
};
