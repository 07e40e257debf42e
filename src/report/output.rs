//! Writing output so that nothing is lost: every command's files are
//! written in full beside the target first, and only then moved into place,
//! and ploeg never removes a file it did not write.
//!
//! - An output folder carries a marker, [`MARKER`], listing the files ploeg
//!   wrote there. A folder may be written into when it is new, empty, or
//!   carries a marker; then only the files the marker lists are replaced,
//!   and anything else in it stays. A folder that holds other files and no
//!   marker is refused and left untouched, as are the current folder, the
//!   home folder and the scenario folder (or any folder holding them).
//! - A lock file beside the target makes a second run to the same target
//!   wait; a lock left by a process that no longer runs is taken over.
//! - An interrupt (Ctrl-C, SIGTERM) removes the run's temporary files and
//!   lock before the program exits; a killed run leaves at most temporary
//!   folders that the next run to the same target removes.
//! - A single output file (a report, a profile list) replaces an existing
//!   file only when that file is recognisably one ploeg wrote.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The marker file of an output folder.
pub const MARKER: &str = ".ploeg-output";

/// How long a run waits for another run writing to the same target.
const LOCK_WAIT: Duration = Duration::from_secs(60);

pub use crate::input::UsageError;

/// Temporary paths and locks of this process, removed on an interrupt.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Held while files are moved into place, so an interrupt waits for the
/// move to finish instead of leaving a half-replaced folder.
static MOVING: Mutex<()> = Mutex::new(());

fn remember(p: &Path) {
    if let Ok(mut v) = PENDING.lock() {
        v.push(p.to_path_buf());
    }
}

fn forget(p: &Path) {
    if let Ok(mut v) = PENDING.lock() {
        v.retain(|x| x != p);
    }
}

fn remove_any(p: &Path) {
    if p.is_dir() {
        let _ = fs::remove_dir_all(p);
    } else {
        let _ = fs::remove_file(p);
    }
}

/// Removes this process's temporary files and locks: called from the
/// interrupt handler, after any move in progress has finished.
pub fn clean_up_pending() {
    let _moving = MOVING.lock();
    let paths: Vec<PathBuf> = PENDING.lock().map(|v| v.clone()).unwrap_or_default();
    for p in paths.iter().rev() {
        remove_any(p);
    }
}

/// What the marker says.
#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    ploeg_version: String,
    run_id: String,
    /// Paths relative to the folder, sorted.
    files: Vec<String>,
}

fn run_id() -> String {
    let mut b = [0u8; 8];
    if getrandom::getrandom(&mut b).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        b = (t as u64 ^ u64::from(std::process::id())).to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A path relative to a folder that cannot leave it.
fn safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

fn read_marker(dir: &Path) -> Option<Marker> {
    let bytes = fs::read(dir.join(MARKER)).ok()?;
    let m: Marker = serde_json::from_slice(&bytes).ok()?;
    m.files.iter().all(|f| safe_relative(f)).then_some(m)
}

/// The absolute form of a path that may not exist yet.
fn absolute(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = fs::canonicalize(p) {
        return Some(c);
    }
    let name = p.file_name()?;
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(name))
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A few names in a folder that the marker does not list.
fn foreign_entries(dir: &Path, listed: &BTreeSet<String>) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| {
            n != MARKER
                && !listed
                    .iter()
                    .any(|f| f == n || f.starts_with(&format!("{n}/")))
        })
        .collect();
    names.sort();
    names
}

/// Checks that `out` may be written as an output folder, before any work:
/// the folder is new, empty or an earlier ploeg output, and is not the
/// current, home or scenario folder nor one that holds them.
pub fn check_folder(out: &Path, scenario: Option<&Path>) -> Result<(), UsageError> {
    let shown = out.display();
    let parent = parent_of(out);
    if !parent.is_dir() {
        return Err(UsageError(format!(
            "cannot write {shown}: the folder {} does not exist",
            parent.display()
        )));
    }
    let abs = absolute(out).ok_or_else(|| {
        UsageError(format!(
            "cannot write {shown}: give a folder name, e.g. --out results"
        ))
    })?;
    let holds = |inner: Option<PathBuf>| inner.is_some_and(|i| i.starts_with(&abs));
    if holds(
        std::env::current_dir()
            .ok()
            .and_then(|d| fs::canonicalize(d).ok()),
    ) {
        return Err(UsageError(format!(
            "refusing to write into {shown}: it is the current folder or holds it; give a new folder, e.g. --out results"
        )));
    }
    if holds(std::env::var_os("HOME").and_then(|h| fs::canonicalize(h).ok())) {
        return Err(UsageError(format!(
            "refusing to write into {shown}: it is the home folder or holds it; give a new folder"
        )));
    }
    if holds(scenario.and_then(|s| fs::canonicalize(s).ok())) {
        return Err(UsageError(format!(
            "refusing to write into {shown}: it is the scenario folder or holds it; give a folder of its own"
        )));
    }
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(UsageError(format!(
            "cannot write {shown}: it exists and is not a folder"
        )));
    }
    if read_marker(out).is_some() {
        return Ok(());
    }
    if out.join(MARKER).exists() {
        return Err(UsageError(format!(
            "refusing to write into {shown}: its {MARKER} is not one ploeg wrote (or names paths outside the folder); nothing was changed"
        )));
    }
    let foreign = foreign_entries(out, &BTreeSet::new());
    if foreign.is_empty() {
        return Ok(());
    }
    let mut list: Vec<String> = foreign.iter().take(3).cloned().collect();
    if foreign.len() > 3 {
        list.push(format!("and {} more", foreign.len() - 3));
    }
    Err(UsageError(format!(
        "refusing to write into {shown}: it holds files ploeg did not write ({}); nothing was changed. Choose a new --out folder, or empty this one",
        list.join(", ")
    )))
}

/// A lock on one target, released on drop.
struct Lock {
    path: PathBuf,
}

fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_dir = Path::new("/proc");
    if proc_dir.is_dir() {
        proc_dir.join(pid.to_string()).exists()
    } else {
        // Without /proc a lock is taken for live; it is old after an hour.
        true
    }
}

impl Lock {
    fn acquire(target: &Path) -> Result<Lock> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let path = parent_of(target).join(format!(".{name}.ploeg-lock"));
        let started = Instant::now();
        let mut told = false;
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    remember(&path);
                    let _ = std::io::Write::write_all(
                        &mut f,
                        format!("{}\n", std::process::id()).as_bytes(),
                    );
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot create the lock file {}", path.display()))
                }
            }
            let holder = fs::read_to_string(&path).unwrap_or_default();
            let pid: Option<u32> = holder.trim().parse().ok();
            let age = fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .unwrap_or_default();
            let stale = match pid {
                Some(p) => !pid_alive(p) || age > Duration::from_secs(3600),
                // A lock being written right now has no pid yet.
                None => age > Duration::from_secs(5),
            };
            if stale {
                let _ = fs::remove_file(&path);
                continue;
            }
            if started.elapsed() > LOCK_WAIT {
                return Err(UsageError(format!(
                    "another ploeg run (process {}) has been writing {} for over {} s; try again when it is done, or remove {} if no ploeg runs",
                    pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into()),
                    target.display(),
                    LOCK_WAIT.as_secs(),
                    path.display()
                ))
                .into());
            }
            if !told {
                told = true;
                eprintln!("waiting: another ploeg run is writing {}", target.display());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        forget(&self.path);
    }
}

/// A temporary path of this run, removed on drop unless kept.
struct Temp {
    path: PathBuf,
}

impl Temp {
    fn beside(target: &Path, kind: &str) -> Temp {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let path = parent_of(target).join(format!(
            ".{name}.ploeg-{kind}-{}-{}",
            std::process::id(),
            run_id()
        ));
        remember(&path);
        Temp { path }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        remove_any(&self.path);
        forget(&self.path);
    }
}

/// Removes temporary folders that killed runs left for this target (the
/// caller holds the target's lock, so no live run owns them).
fn remove_stale(target: &Path) {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let prefixes = [format!(".{name}.ploeg-new-"), format!(".{name}.ploeg-old-")];
    let Ok(entries) = fs::read_dir(parent_of(target)) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let n = e.file_name().to_string_lossy().to_string();
        if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
            remove_any(&e.path());
        }
    }
}

fn write_new(path: &Path, data: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut f =
        fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    std::io::Write::write_all(&mut f, data)
        .and_then(|_| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn move_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::rename(from, to)
}

/// Writes `files` (relative paths) into the output folder `out`, replacing
/// only files an earlier ploeg run wrote there. `scenario` is the folder
/// the run read, which is never written into.
pub fn write_folder(out: &Path, files: &[(&str, Vec<u8>)], scenario: Option<&Path>) -> Result<()> {
    check_folder(out, scenario)?;
    for (name, _) in files {
        if !safe_relative(name) || *name == MARKER {
            anyhow::bail!("internal error: cannot write an output file named {name}");
        }
    }
    let _lock = Lock::acquire(out)?;
    remove_stale(out);
    // Checked again under the lock: another run may have written meanwhile.
    check_folder(out, scenario)?;
    let staged = Temp::beside(out, "new");
    let mut listed: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    listed.dedup();
    for (name, data) in files {
        write_new(&staged.path.join(name), data)?;
    }
    let marker = Marker {
        ploeg_version: env!("CARGO_PKG_VERSION").to_string(),
        run_id: run_id(),
        files: listed.clone(),
    };
    write_new(
        &staged.path.join(MARKER),
        &serde_json::to_vec_pretty(&marker)?,
    )?;
    let _moving = MOVING.lock();
    if !out.exists() {
        fs::rename(&staged.path, out)
            .with_context(|| format!("cannot move the output into {}", out.display()))?;
        return Ok(());
    }
    let old: Vec<String> = read_marker(out).map(|m| m.files).unwrap_or_default();
    swap(out, &staged.path, &old, &listed)
}

/// Moves the new files from `staged` into `out`: the old ploeg files go to
/// a backup folder first, and on any failure everything is moved back.
fn swap(out: &Path, staged: &Path, old: &[String], new: &[String]) -> Result<()> {
    let backup = Temp::beside(out, "old");
    let mut out_to_backup: Vec<&str> = Vec::new();
    let mut staged_to_out: Vec<&str> = Vec::new();
    let old_names: Vec<&str> = old.iter().map(String::as_str).chain([MARKER]).collect();
    let new_names: Vec<&str> = new.iter().map(String::as_str).chain([MARKER]).collect();
    let result = (|| -> std::io::Result<()> {
        for &f in &old_names {
            let p = out.join(f);
            if fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
                move_file(&p, &backup.path.join(f))?;
                out_to_backup.push(f);
            }
        }
        for &f in &new_names {
            let target = out.join(f);
            if fs::symlink_metadata(&target).is_ok() {
                // A file the user put where ploeg now writes: keep it.
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!(
                        "{} is in the way and was not written by ploeg",
                        target.display()
                    ),
                ));
            }
            move_file(&staged.join(f), &target)?;
            staged_to_out.push(f);
        }
        Ok(())
    })();
    if let Err(e) = result {
        for &f in staged_to_out.iter().rev() {
            let _ = move_file(&out.join(f), &staged.join(f));
        }
        for &f in out_to_backup.iter().rev() {
            let _ = move_file(&backup.path.join(f), &out.join(f));
        }
        return Err(e).with_context(|| {
            format!(
                "cannot replace the output in {}; the earlier output was kept as it was",
                out.display()
            )
        });
    }
    // Folders that only held old output files go; rmdir keeps any with
    // other files in them.
    let mut dirs: Vec<PathBuf> = old
        .iter()
        .filter_map(|f| Path::new(f).parent().map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = fs::remove_dir(out.join(d));
    }
    Ok(())
}

/// Adds one file to an existing ploeg output folder (e.g. `report.html`
/// into a solve's folder), listing it in the marker.
pub fn add_to_folder(out: &Path, name: &str, data: &[u8]) -> Result<()> {
    let Some(mut marker) = read_marker(out) else {
        return Err(UsageError(format!(
            "{} is not a ploeg output folder (it has no {MARKER}); give the folder a ploeg run wrote",
            out.display()
        ))
        .into());
    };
    let _lock = Lock::acquire(out)?;
    let target = out.join(name);
    if target.exists() && !marker.files.iter().any(|f| f == name) {
        return Err(UsageError(format!(
            "{} exists and was not written by ploeg; nothing was changed",
            target.display()
        ))
        .into());
    }
    let staged = Temp::beside(&target, "new");
    write_new(&staged.path, data)?;
    if !marker.files.iter().any(|f| f == name) {
        marker.files.push(name.to_string());
        marker.files.sort();
    }
    let staged_marker = Temp::beside(&out.join(MARKER), "new");
    write_new(&staged_marker.path, &serde_json::to_vec_pretty(&marker)?)?;
    let _moving = MOVING.lock();
    fs::rename(&staged.path, &target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    fs::rename(&staged_marker.path, out.join(MARKER))
        .with_context(|| format!("cannot update {}", out.join(MARKER).display()))?;
    Ok(())
}

/// How to tell that an existing file is one ploeg wrote.
#[derive(Clone, Copy, Debug)]
pub enum Written<'a> {
    /// A CSV file whose first line is exactly this header.
    CsvHeader(&'a str),
    /// A file that starts with this text (a report's doctype and generator).
    Starting(&'a str),
    /// A file that holds this text in its first 4 KiB.
    Holding(&'a str),
}

impl Written<'_> {
    fn matches(&self, head: &[u8]) -> bool {
        let text = String::from_utf8_lossy(head);
        let text = text.trim_start_matches('\u{feff}');
        match self {
            Written::CsvHeader(h) => text
                .lines()
                .next()
                .is_some_and(|l| l.trim_end_matches('\r') == *h),
            Written::Starting(s) => text.starts_with(s),
            Written::Holding(s) => text.contains(s),
        }
    }
}

fn head(path: &Path) -> Vec<u8> {
    let mut buf = vec![0u8; 4096];
    let n = fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut buf))
        .unwrap_or(0);
    buf.truncate(n);
    buf
}

/// Checks that single files may be written, before any work: their folder
/// exists, and an existing file is one ploeg wrote (see [`write_files`]).
pub fn check_files(files: &[(&Path, Option<Written>)]) -> Result<(), UsageError> {
    for (path, rule) in files {
        let parent = parent_of(path);
        if !parent.is_dir() {
            return Err(UsageError(format!(
                "cannot write {}: the folder {} does not exist",
                path.display(),
                parent.display()
            )));
        }
        if path.is_dir() {
            return Err(UsageError(format!(
                "cannot write {}: it is a folder",
                path.display()
            )));
        }
        if let (true, Some(rule)) = (path.exists(), rule) {
            if !rule.matches(&head(path)) {
                return Err(UsageError(format!(
                    "refusing to overwrite {}: it exists and was not written by ploeg; give another file name",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

/// Writes single files all-or-nothing. An existing file is replaced only
/// when it looks like one ploeg wrote (`Some` rule) or the user's own file
/// is meant to change (`None`, e.g. `assess --merge people.csv`).
pub fn write_files(files: &[(&Path, Vec<u8>, Option<Written>)]) -> Result<()> {
    let targets: Vec<(&Path, Option<Written>)> = files.iter().map(|(p, _, r)| (*p, *r)).collect();
    check_files(&targets)?;
    let mut locks = Vec::new();
    let mut staged = Vec::new();
    for (path, data, _) in files {
        locks.push(Lock::acquire(path)?);
        let t = Temp::beside(path, "new");
        write_new(&t.path, data)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&t.path, fs::Permissions::from_mode(0o644));
        }
        staged.push((t, *path));
    }
    let _moving = MOVING.lock();
    for (t, path) in &staged {
        fs::rename(&t.path, path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_folder_with_foreign_files_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("summary.json"), "{}").unwrap();
        fs::write(out.join("thesis.docx"), "mine").unwrap();
        let e = write_folder(&out, &[("summary.json", b"new".to_vec())], None).unwrap_err();
        assert!(e.downcast_ref::<UsageError>().is_some(), "{e:#}");
        assert_eq!(names(&out), vec!["summary.json", "thesis.docx"]);
        assert_eq!(fs::read(out.join("summary.json")).unwrap(), b"{}");
    }

    #[test]
    fn replacing_keeps_files_the_marker_does_not_list() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write_folder(
            &out,
            &[("a.csv", b"1".to_vec()), ("sub/b.csv", b"2".to_vec())],
            None,
        )
        .unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        write_folder(&out, &[("a.csv", b"3".to_vec())], None).unwrap();
        assert_eq!(names(&out), vec![".ploeg-output", "a.csv", "notes.txt"]);
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"3");
        // Nothing is left beside the folder.
        assert_eq!(names(tmp.path()), vec!["out"]);
    }

    #[test]
    fn a_marker_naming_paths_outside_the_folder_is_not_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
        fs::write(
            out.join(MARKER),
            r#"{"ploeg_version":"0","run_id":"x","files":["../keep.txt"]}"#,
        )
        .unwrap();
        assert!(write_folder(&out, &[("a.csv", b"1".to_vec())], None).is_err());
        assert!(tmp.path().join("keep.txt").exists());
    }

    #[test]
    fn the_scenario_folder_and_folders_above_it_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let scen = tmp.path().join("s");
        fs::create_dir(&scen).unwrap();
        assert!(check_folder(&scen, Some(&scen)).is_err());
        assert!(check_folder(tmp.path(), Some(&scen)).is_err());
        assert!(check_folder(&scen.join("out"), Some(&scen)).is_ok());
    }

    #[test]
    fn a_failed_swap_puts_the_old_output_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write_folder(&out, &[("a.csv", b"old".to_vec())], None).unwrap();
        // A file the user placed where the new output wants to write.
        fs::write(out.join("b.csv"), "mine").unwrap();
        let e = write_folder(
            &out,
            &[("a.csv", b"new".to_vec()), ("b.csv", b"x".to_vec())],
            None,
        );
        assert!(e.is_err());
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"old");
        assert_eq!(fs::read(out.join("b.csv")).unwrap(), b"mine");
        assert_eq!(names(tmp.path()), vec!["out"]);
    }

    #[test]
    fn a_single_file_replaces_only_what_ploeg_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("r.csv");
        fs::write(&p, "name,score\nme,1\n").unwrap();
        let rule = Some(Written::CsvHeader("person_id,x"));
        assert!(write_files(&[(p.as_path(), b"person_id,x\n".to_vec(), rule)]).is_err());
        assert_eq!(fs::read(&p).unwrap(), b"name,score\nme,1\n");
        fs::write(&p, "person_id,x\n1,2\n").unwrap();
        write_files(&[(p.as_path(), b"person_id,x\n3,4\n".to_vec(), rule)]).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"person_id,x\n3,4\n");
        assert_eq!(names(tmp.path()), vec!["r.csv"]);
    }
}
