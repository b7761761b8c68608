import { createGitRepo, type GitRepo } from '../git-repo';

/** The dist-git spec of the hello fixture: three commented Patch tags, `%autosetup -p1`. */
export const HELLO_SPEC = `Name: hello
Version: 1.0.1
Release: 1%{?dist}
Summary: Hello World application written in Rust
License: MIT

URL: src/hello
Source: hello-1.0.1.tar.gz

# Say hello to Fedora
Patch0001: turn-into-fedora.patch

# Patch from Git
Patch0002: from-git.patch

# Funky patch
Patch0003: 0017-Patch-This..patch

Provides: hello

BuildRequires: make
BuildRequires: rust

%description
Hello World application written in Rust

%prep
%autosetup -p1

%build
make hello

%install
install -Dpm0777 hello %{_bindir}/hello
`;

/** A plain git diff, no mail header. */
export const HELLO_PLAIN_PATCH = `diff --git a/hello.rs b/hello.rs
index 47ad8c6..f8dbb5e 100644
--- a/hello.rs
+++ b/hello.rs
@@ -1,3 +1,3 @@
 fn main() {
-    println!("Hello World!");
+    println!("Hello Fedora!");
 }
`;

/** A \`git format-patch\` mail with its own author, date and a trailer. */
export const HELLO_MAIL_PATCH = `From 5691f2b93484dd9cebae5a9ca61e9de44e814d15 Mon Sep 17 00:00:00 2001
From: Mai L. Patcher <mail.patcher@example.com>
Date: Wed, 8 Sep 2021 09:45:13 +0200
Subject: [PATCH] Linux

Signed-off-by: Mai L. Patcher <mail.patcher@example.com>
---
 hello.rs | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/hello.rs b/hello.rs
index f8dbb5e..f6a5a44 100644
--- a/hello.rs
+++ b/hello.rs
@@ -1,3 +1,3 @@
 fn main() {
-    println!("Hello Fedora!");
+    println!("Hello Fedora Linux!");
 }
-- 
2.31.1

`;

/** A mail patch whose file name has git's numbering and a double dot. */
export const HELLO_FUNKY_PATCH = `From 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 Mon Sep 17 00:00:00 2001
From: Mai L. Patcher <mail.patcher@example.com>
Date: Thu, 9 Sep 2021 10:00:00 +0200
Subject: [PATCH] Funky

---
 hello.rs | 1 +
 1 file changed, 1 insertion(+)

diff --git a/hello.rs b/hello.rs
index f6a5a44..d1ccfb6 100644
--- a/hello.rs
+++ b/hello.rs
@@ -1,3 +1,4 @@
 fn main() {
     println!("Hello Fedora Linux!");
+    println!("Hello World!");
 }
-- 
2.31.1

`;

export interface HelloFixture {
  /** The upstream clone (tag `1.0.1`, remote `origin` = https://example.com/hello.git), to become source-git. */
  readonly sourceGit: GitRepo;
  /** The dist-git repository `rpms/hello` (directory named `hello`), one commit by Engin Eer. */
  readonly distGit: GitRepo;
  readonly distGitCommit: string;
}

/**
 * An equivalent of packit's `hello` test fixture (docs/converter-behaviour.md §5.4, V14): an upstream clone
 * at tag `1.0.1`, and a dist-git whose spec has three commented Patch tags — a plain diff, a
 * `git am` mail patch with its own author, and `0017-Patch-This..patch`.
 */
export async function createHelloFixture(parent: string): Promise<HelloFixture> {
  const sourceGit = await createGitRepo({ dir: `${parent}/src/hello` });
  await sourceGit.commit('Hello World in Rust', {
    files: {
      'hello.rs': 'fn main() {\n    println!("Hello World!");\n}\n',
      Makefile: 'hello: hello.rs\n\trustc hello.rs\n',
      '.gitignore': 'hello\n',
    },
  });
  await sourceGit.git(['tag', '1.0.1']);
  await sourceGit.git(['remote', 'add', 'origin', 'https://example.com/hello.git']);
  const distGit = await createGitRepo({ dir: `${parent}/rpms/hello` });
  const distGitCommit = await distGit.commit('Initial packaging of hello', {
    author: { name: 'Engin Eer', email: 'eer@example.com' },
    files: {
      'hello.spec': HELLO_SPEC,
      'turn-into-fedora.patch': HELLO_PLAIN_PATCH,
      'from-git.patch': HELLO_MAIL_PATCH,
      '0017-Patch-This..patch': HELLO_FUNKY_PATCH,
      sources: 'SHA512 (hello-1.0.1.tar.gz) = 3f0a8b2c1d\n',
      '.gitignore': '/hello-1.0.1.tar.gz\n',
    },
  });
  return { sourceGit, distGit, distGitCommit };
}
