// The abra parity rules (R001–R015; R016 exists in current abra but is not public, so it is not here) and
// stacklint's own recipe-convention rules that sit beside them.
import type { Rule } from '../rule.js';
import r001 from './r001.js';
import r002 from './r002.js';
import r003 from './r003.js';
import r004 from './r004.js';
import r005 from './r005.js';
import r006 from './r006.js';
import r007 from './r007.js';
import r008 from './r008.js';
import r009 from './r009.js';
import r010 from './r010.js';
import r011 from './r011.js';
import r012 from './r012.js';
import r013 from './r013.js';
import r014 from './r014.js';
import r015 from './r015.js';
import versionLabel from './version-label.js';
import composeFileList from './compose-file-list.js';
import secretVersionVar from './secret-version-var.js';

export const ABRA_RULES: readonly Rule[] = [
  r001,
  r002,
  r003,
  r004,
  r005,
  r006,
  r007,
  r008,
  r009,
  r010,
  r011,
  r012,
  r013,
  r014,
  r015,
  versionLabel,
  composeFileList,
  secretVersionVar,
];
