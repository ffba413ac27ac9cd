// Imported for its side effect by every module that builds a schema.
//
// The schemas use `zod/mini`, which tree-shakes (the chained `zod` API does
// not: it put 445 KiB of zod into each Lambda bundle). Unlike `zod`,
// `zod/mini` installs neither a locale nor a memoizer. Without the locale every
// default message (`Unrecognized key: "sucessWhen"`, `Invalid input: expected
// object, received string`) would read `Invalid input`, here and in
// @baton/core's event validation; without the memoizer a reference cycle in a
// value checked by a JSON schema (`body`, `equals`) would overflow the stack
// instead of being parsed. `zod` sets both on first use, only when none is set;
// so does this, so an application's own `z.config(...)` still wins.
import { config, globalConfig, memoizer } from 'zod/v4/core';
import { en } from 'zod/v4/locales';

if (!globalConfig.localeError) config(en());
if (!globalConfig.memoizer) config({ memoizer: memoizer() });
