// Where a document's deploy commands run: inside a clone of another repository (`git clone URL [DIR]`, then
// `cd DIR`, before the deploy) or here (src/views/checkout.ts); and what names this repository.
import { describe, expect, it } from 'vitest';
import { cloneDirectoryOf, deployRuns, isOtherRepository, normalisedRepositoryUrl } from '../../src/views/index.js';
import { parseGitRemoteUrls } from '../../src/load/gitignore.js';

const URL = 'https://github.com/acme/monitoring.git';
/** Each deploy's files and the URL of the clone it runs in ('' when it runs here). */
const runs = (text: string) => deployRuns(text).map((r) => [r.files.join(' '), r.clone?.url ?? '']);

describe('deployRuns', () => {
  it('places a deploy after `git clone URL` and `cd DIR` inside that clone, with where the clone is written', () => {
    const text = `# Guide\n\n\`\`\`bash\n$ git clone ${URL}\n$ cd monitoring\n\`\`\`\n\nthen, much later:\n\n\`\`\`bash\ndocker stack deploy -c stack.yml mon\n\`\`\`\n`;
    expect(deployRuns(text)).toEqual([
      { files: ['stack.yml'], line: 11, column: 1, clone: { url: URL, dir: 'monitoring', line: 4, column: 3 } },
    ]);
  });

  it('takes the clone directory DIR, `cd` chained with && or ;, and a folder of the clone', () => {
    expect(runs(`git clone ${URL} mon && cd mon && docker stack deploy -c a.yml s\n`)).toEqual([['a.yml', URL]]);
    expect(runs(`git clone ${URL} ./mon/; cd mon/; docker stack deploy -c a.yml s\n`)).toEqual([['a.yml', URL]]);
    expect(runs(`git clone ${URL}\ncd monitoring/deploy\ndocker stack deploy -c a.yml s\n`)).toEqual([['a.yml', URL]]);
    expect(runs(`git clone ${URL}\ncd monitoring\ncd deploy\ndocker stack deploy -c a.yml s\n`)).toEqual([['a.yml', URL]]);
  });

  it('reads options of git clone and cd, continued lines, CI list items and inline code', () => {
    expect(runs(`git clone --depth 1 -b main --single-branch ${URL}\ncd -P monitoring\ndocker stack deploy -c a.yml s\n`)).toEqual([['a.yml', URL]]);
    expect(runs(`git clone \\\n  ${URL} \\\n  mon\ncd mon\ndocker stack deploy \\\n  -c a.yml s\n`)).toEqual([['a.yml', URL]]);
    expect(runs(`script:\n  - git clone ${URL}\n  - cd monitoring\n  - docker stack deploy -c a.yml s\n`)).toEqual([['a.yml', URL]]);
    expect(runs(`Run \`git clone ${URL}\`, then \`cd monitoring\` and \`docker stack deploy -c a.yml s\`.\n`)).toEqual([['a.yml', URL]]);
    expect(runs(`- run: git clone ${URL}\n- run: cd monitoring && docker stack deploy -c a.yml s\n`)).toEqual([['a.yml', URL]]);
  });

  it('runs a deploy here when the clone is not entered, is entered after the deploy, or was left', () => {
    expect(runs(`git clone ${URL}\ndocker stack deploy -c a.yml s\n`)).toEqual([['a.yml', '']]);
    expect(runs(`docker stack deploy -c a.yml s\ngit clone ${URL}\ncd monitoring\n`)).toEqual([['a.yml', '']]);
    expect(runs(`git clone ${URL} && docker stack deploy -c a.yml s && cd monitoring\n`)).toEqual([['a.yml', '']]);
    expect(runs(`git clone ${URL} mon\ncd monitoring\ndocker stack deploy -c a.yml s\n`)).toEqual([['a.yml', '']]);
    for (const leave of ['cd ..', 'cd', 'cd -', 'cd ~', 'cd /srv/stacks', 'cd "$HOME"', 'cd ../other']) {
      expect(runs(`git clone ${URL}\ncd monitoring\n${leave}\ndocker stack deploy -c a.yml s\n`), leave).toEqual([['a.yml', '']]);
    }
  });

  it('does not take a word that is no command for `cd`, nor a clone of an unknown URL', () => {
    expect(runs(`git clone ${URL}\nabcd monitoring\ndocker stack deploy -c a.yml s\n`)).toEqual([['a.yml', '']]);
    expect(runs('git clone $REPO_URL\ncd monitoring\ndocker stack deploy -c a.yml s\n')).toEqual([['a.yml', '']]);
    expect(runs('git clone <your-repository>\ncd monitoring\ndocker stack deploy -c a.yml s\n')).toEqual([['a.yml', '']]);
    expect(runs(`git clone ${URL} a b\ncd a\ndocker stack deploy -c a.yml s\n`)).toEqual([['a.yml', '']]);
  });

  it('follows several clones: the last one entered is where the deploy runs', () => {
    const other = 'git@github.com:acme/infra.git';
    expect(runs(`git clone ${URL}\ngit clone ${other}\ncd infra\ndocker stack deploy -c a.yml s\ncd ..\ncd monitoring\ndocker stack deploy -c b.yml t\n`)).toEqual([
      ['a.yml', other],
      ['b.yml', URL],
    ]);
  });

  it('skips deploy commands whose files are not literal, as declared views do', () => {
    expect(runs(`git clone ${URL}\ncd monitoring\ndocker stack deploy -c $FILE s\ndocker stack deploy -c a.yml -c b.yml s\n`)).toEqual([['a.yml b.yml', URL]]);
  });
});

describe('cloneDirectoryOf', () => {
  it("is git's default directory: the last path segment without .git", () => {
    expect(cloneDirectoryOf('https://github.com/acme/monitoring.git')).toBe('monitoring');
    expect(cloneDirectoryOf('https://github.com/acme/monitoring/')).toBe('monitoring');
    expect(cloneDirectoryOf('git@github.com:acme/monitoring.git')).toBe('monitoring');
    expect(cloneDirectoryOf('git@host:monitoring.git')).toBe('monitoring');
    expect(cloneDirectoryOf('/srv/git/monitoring/.git')).toBe('monitoring');
    expect(cloneDirectoryOf('https://example.org/')).toBe('example.org');
    expect(cloneDirectoryOf('.git')).toBeUndefined();
  });
});

describe('normalisedRepositoryUrl', () => {
  it('gives one spelling for https, ssh and scp-like URLs of the same repository', () => {
    const same = ['https://github.com/Acme/Monitoring.git', 'git@github.com:acme/monitoring.git', 'ssh://git@github.com:22/acme/monitoring', 'https://user@github.com/acme/monitoring/'];
    for (const url of same) expect(normalisedRepositoryUrl(url), url).toBe('github.com/acme/monitoring');
    expect(normalisedRepositoryUrl('https://gitlab.com/acme/monitoring.git')).not.toBe('github.com/acme/monitoring');
  });
});

describe('isOtherRepository', () => {
  const none = { remotes: [], folders: ['checkout'] };
  it('is true for a repository that is neither a remote nor named by a folder the stack lies in', () => {
    expect(isOtherRepository(URL, none)).toBe(true);
    expect(isOtherRepository(URL, { remotes: ['git@github.com:acme/infra.git'], folders: ['infra', 'deploy'] })).toBe(true);
    expect(isOtherRepository(URL, { remotes: [], folders: ['tiangolo+dockerswarm.rocks', 'docs'] })).toBe(true);
    expect(isOtherRepository(URL, { remotes: [], folders: ['monitoringstack'] })).toBe(true);
  });

  it('is false for this repository: a remote (any spelling, or a fork of the same name), or a folder named after it', () => {
    expect(isOtherRepository(URL, { remotes: ['git@github.com:acme/monitoring.git'], folders: ['x'] })).toBe(false);
    expect(isOtherRepository(URL, { remotes: ['https://github.com/me/monitoring'], folders: ['x'] })).toBe(false);
    for (const folder of ['monitoring', 'Monitoring', 'acme+monitoring', 'monitoring-main', 'monitoring.git']) {
      expect(isOtherRepository(URL, { remotes: [], folders: ['src', folder] }), folder).toBe(false);
    }
    // A URL without a repository name names nothing to compare: taken for this repository.
    expect(isOtherRepository('.git', none)).toBe(false);
  });
});

describe('parseGitRemoteUrls', () => {
  it("reads the url of each remote section, and nothing of other sections", () => {
    const config = [
      '[core]',
      '\trepositoryformatversion = 0',
      '[remote "origin"]',
      '\turl = git@github.com:acme/infra.git',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
      '[remote "upstream"]',
      '\turl = "https://github.com/upstream/infra" ; the original',
      '[submodule "x"]',
      '\turl = https://github.com/acme/x.git',
      '[branch "main"]',
      '\tremote = origin',
    ].join('\n');
    expect(parseGitRemoteUrls(config)).toEqual(['git@github.com:acme/infra.git', 'https://github.com/upstream/infra']);
  });
});
