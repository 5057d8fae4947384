// The glob filter models pass to list_files and search: a glob without a slash matches
// the file name anywhere (`*.ts`), one with a slash matches the root-relative path.
import picomatch from 'picomatch';

export function compileUserGlob(glob: string | undefined): (rel: string) => boolean {
  if (glob === undefined || glob.trim() === '') return () => true;
  return picomatch(glob, { dot: true, basename: !glob.includes('/') });
}
