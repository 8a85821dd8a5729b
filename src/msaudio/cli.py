"""The ``msaudio`` command: a thin layer over the library.

Commands parse options, call one library function and print. Errors become
one line on stderr in exactly one place, :func:`main`: exit code 2 for usage
and configuration errors, 1 for anything else that went wrong.
"""

from __future__ import annotations

import sys
import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from msaudio import __version__
from msaudio.config import (
    CONFIG_NAME,
    DEFAULT_BASE_URL,
    ShowConfig,
    check_output_folder,
    default_config,
    load_config,
    with_overrides,
)
from msaudio.errors import ConfigError, MsaudioError

if TYPE_CHECKING:
    from msaudio.cache import SentenceCache

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2

_dir = click.Path(file_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msaudio")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn written articles into narrated, accessible podcast episodes."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("directory", type=_dir, default=".")
def init(directory: Path) -> None:
    """Create a show in DIRECTORY: podcast.toml and episodes/ with a sample article."""
    from msaudio.scaffold import init_show

    for path in init_show(directory):
        click.echo(f"created {path}")
    click.echo(f"next: cd {directory} && msaudio build")


@cli.command()
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option(
    "-C",
    "--directory",
    type=_dir,
    default=".",
    help="The show folder [default: the current folder].",
)
def fetch(urls: tuple[str, ...], directory: Path) -> None:
    """Save new articles from RSS/Atom feeds or web pages into episodes/ (default: the
    feeds listed under [sources] feeds in podcast.toml).

    An article fetched before is never fetched again, even if its file was renamed or
    deleted (msaudio-fetched.json remembers it). When anything fails, nothing is saved.
    """
    from msaudio.config_checks import _url
    from msaudio.fetch import fetch_articles

    config = load_config(directory)
    for url in urls:
        if (problem := _url(url)) is not None:
            raise ConfigError(f"URL {url!r}: expected {problem}")
    sources = urls or config.sources.feeds
    if not sources:
        raise ConfigError(
            "no URL given and no [sources] feeds in podcast.toml; "
            "give a feed's or a page's address, or list feeds there",
            config.root / CONFIG_NAME,
        )
    new = fetch_articles(config, sources)
    for article in new:
        date = article.published.isoformat() if article.published else "undated"
        click.echo(f"{article.path.relative_to(config.root)}: {article.title} ({date})")
    click.echo(f"{len(new)} new article{'' if len(new) == 1 else 's'}")


@cli.command()
@click.argument("directory", type=_dir, default=".")
@click.option(
    "--out",
    help="Output folder, or a URL such as s3://bucket/show/ to publish to "
    "[default: DIRECTORY/public].",
)
@click.option("--base-url", help="URL the output folder is served from.")
@click.option("--engine", help="Speech engine (see 'msaudio voices').")
@click.option("--voice", help="Voice name or model path for the engine.")
@click.option("--speed", type=float, help="Speaking rate, e.g. 0.9 for slower speech.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    help="Sentences synthesized at once [default: one per CPU].",
)
@click.option(
    "--scheduler",
    help="Dask scheduler that synthesizes the sentences (tcp://host:8786), or 'local' "
    "for worker processes here [default: [build] scheduler, else worker threads here].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also say what came from the sentence cache.")
def build(
    directory: Path,
    out: str | None,
    base_url: str | None,
    engine: str | None,
    voice: str | None,
    speed: float | None,
    jobs: int | None,
    scheduler: str | None,
    quiet: bool,
    verbose: bool,
) -> int:
    """Narrate every article in DIRECTORY/episodes and publish the podcast feed.

    Only articles that changed are narrated again, and only their sentences
    that changed are synthesized again (the rest come from the sentence cache).
    With --jobs and --scheduler local, --jobs is the number of worker processes.
    """
    from msaudio.audio.synthesis import default_jobs
    from msaudio.build import build_show
    from msaudio.cache import SentenceCache
    from msaudio.progress import TerminalProgress
    from msaudio.sources import SUPPORTED_SUFFIXES
    from msaudio.storage import is_url

    config = with_overrides(
        load_config(directory),
        base_url=base_url,
        engine=engine,
        voice=voice,
        speed=speed,
        scheduler=scheduler,
    )
    out_dir: Path | str = out or directory / "public"
    if not is_url(out_dir):
        check_output_folder(config, Path(out_dir))
    if is_url(out_dir) and config.show.base_url == DEFAULT_BASE_URL:
        click.echo(
            f"warning: base_url is {DEFAULT_BASE_URL}, so podcast apps will not find the "
            f"episodes at {out_dir}; set [show] base_url (or --base-url) to the address "
            "it is served from",
            err=True,
        )
    cache = SentenceCache.from_environment(config.build.cache, config.root)
    progress = None if quiet or not sys.stderr.isatty() else TerminalProgress(sys.stderr)

    def log(line: str) -> None:
        if progress is not None:
            progress.clear()
        if not quiet:
            click.echo(line)

    try:
        result = build_show(
            config,
            out_dir,
            log=log,
            jobs=jobs,
            cache=cache,
            progress=progress,
            page_processes=jobs or default_jobs(),
        )
    finally:
        if progress is not None:
            progress.clear()
    readable = ", ".join(SUPPORTED_SUFFIXES)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in result.skipped:
        click.echo(f"warning: {path}: not an article; msaudio reads {readable}", err=True)
    debug = bool(click.get_current_context().find_root().obj["debug"])
    for error in result.failures:
        click.echo(f"error: {error}", err=True)
        if debug and error.__cause__ is not None:  # an unexpected error: show where it was
            traceback.print_exception(error.__cause__, file=sys.stderr)
    if verbose and not quiet:
        click.echo(
            f"sentences: {result.synthesized} synthesized, {result.cached} from the cache "
            f"in {cache.root}"
        )
    if not quiet:
        count = len(result.episodes)
        minutes = sum(e.timeline.duration for e in result.episodes) / 60
        click.echo(
            f"published {count} episode{'' if count == 1 else 's'} ({minutes:.1f} min; "
            f"{len(result.built)} narrated, {len(result.reused)} unchanged) "
            f"to {result.feed_location}"
        )
    return EXIT_FAILURES if result.failures else EXIT_OK


@cli.group()
def cache() -> None:
    """The sentence cache: synthesized sentences kept for later builds."""


@cache.command("info")
def cache_info() -> None:
    """Where the cache is, how many sentences it holds and how big it is."""
    info = _sentence_cache().info()
    click.echo(f"sentence cache: {info.path}")
    click.echo(
        f"{info.entries} sentences, {info.size / 2**20:.1f} MiB "
        f"of at most {info.max_size / 2**20:.0f} MiB (least recently used go first)"
    )


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached sentence (the next builds synthesize them again)."""
    cache = _sentence_cache()
    removed = cache.clear()
    click.echo(f"removed {removed} sentences from {cache.root}")


@cli.command()
@click.argument("article", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="MP3 to write."
)
@click.option("--engine", help="Speech engine (see 'msaudio voices').")
@click.option("--voice", help="Voice name or model path for the engine.")
@click.option("--speed", type=float, help="Speaking rate, e.g. 0.9 for slower speech.")
def say(
    article: Path, output: Path | None, engine: str | None, voice: str | None, speed: float | None
) -> None:
    """Narrate one ARTICLE into one tagged MP3 (no feed)."""
    from msaudio.audio.music import load_music
    from msaudio.build import render_episode
    from msaudio.plan import plan_article
    from msaudio.publish.cover import cover_jpeg

    config = with_overrides(_local_config(), engine=engine, voice=voice, speed=speed)
    plan, _ = plan_article(article, config)
    target = output or Path(f"{plan.article.slug}.mp3")
    music = load_music(config.audio, config.root)
    timeline = render_episode(plan, config, target, cover_jpeg(config.show), music=music).timeline
    click.echo(f"wrote {target} ({timeline.duration / 60:.1f} min)")


@cli.command()
@click.argument("article", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--engine", help="Engine whose text limit applies (default: the show's).")
def script(article: Path, engine: str | None) -> None:
    """Print what will be read aloud for ARTICLE, chapter by chapter.

    Uses ./podcast.toml when there is one: its cleanup patterns, lexicon and speed.
    """
    from msaudio.engines import get_engine
    from msaudio.sources import read_article
    from msaudio.text.normalize import load_lexicon
    from msaudio.text.script import build_script

    config = with_overrides(_local_config(), engine=engine)
    parsed = read_article(article, rules=config.cleanup)
    settings = config.voice_for(parsed.voice)
    speech = build_script(
        parsed,
        get_engine(settings.engine).max_chars,
        settings.speed,
        load_lexicon(config.lexicon),
    )
    for number, section in enumerate(speech.sections, 1):
        click.echo(f"## {number}. {section.title}")
        for sentence in section.sentences:
            click.echo(sentence.spoken)
        click.echo()
    click.echo("(The length in the intro is estimated here; 'build' says the measured one.)")


@cli.command()
@click.argument("article", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--engine", help="Speech engine (see 'msaudio voices').")
@click.option("--voice", help="Voice name or model path for the engine.")
@click.option("--speed", type=float, help="Speaking rate, e.g. 0.9 for slower speech.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def proof(
    article: Path, engine: str | None, voice: str | None, speed: float | None, as_json: bool
) -> None:
    """Narrate ARTICLE as 'build' would, transcribe it offline, list what was heard otherwise."""
    import json

    from msaudio.proof import format_report, proof_article

    config = with_overrides(_local_config(), engine=engine, voice=voice, speed=speed)
    report = proof_article(article, config)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    for line in format_report(report):
        click.echo(line)


@cli.command()
@click.option("--all", "every_voice", is_flag=True, help="List every voice of every engine.")
def voices(every_voice: bool) -> None:
    """List speech engines, whether they need the internet, and their voices.

    Choose one with [voice] in podcast.toml, 'engine:'/'voice:'/'speed:' in an
    article's front matter, or --engine/--voice/--speed (which win).
    """
    from msaudio.engines.catalog import voice_listing

    for line in voice_listing(every_voice):
        click.echo(line)


class _Host(click.ParamType):
    """An address or host name to listen on, checked before any socket is made."""

    name = "host"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from msaudio.serve import listen_host

        host = listen_host(value)
        if host is None:
            self.fail(f"{value!r} is neither an IP address nor a host name", param, ctx)
        return host


@cli.command()
@click.argument("out", type=_dir, default="public")
@click.option(
    "--host", type=_Host(), default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free one).",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print a line per request.")
def serve(out: Path, host: str, port: int, quiet: bool) -> None:
    """Serve the output folder OUT so podcast apps and browsers can subscribe.

    Listens on this computer only unless --host says otherwise (0.0.0.0: every
    network, so a phone on the same Wi-Fi can subscribe).
    """
    from msaudio.serve import base_urls, make_server, published_base

    log = None if quiet else (lambda line: click.echo(line, err=True))
    server = make_server(out, host, port, log=log)
    here, lan = base_urls(host, server.server_port)
    click.echo(f"serving {out} (Ctrl+C stops)")
    click.echo(f"subscribe on this computer: {here}feed.xml")
    if lan is not None:
        click.echo(f"subscribe from your network: {lan}feed.xml")
    base = published_base(out)
    if base is not None and base not in (here, lan):
        served = lan or here
        click.echo(
            f"note: the feed's episodes point at {base}; for apps to fetch them from here, "
            f"run 'msaudio build --base-url {served}' first"
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    click.echo("stopped")


@cli.command()
@click.argument("out", type=_dir, default="public")
def check(out: Path) -> int:
    """Validate the output folder OUT as Apple's and the Podcast Index's checkers would.

    Prints one line per problem and exits with 1 when there is any.
    """
    from msaudio.check import validate_output

    report = validate_output(out)
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        count = len(report.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} in {out}")
        return EXIT_FAILURES
    episodes = "1 episode" if report.episodes == 1 else f"{report.episodes} episodes"
    click.echo(f"ok: {episodes}, feed valid")
    return EXIT_OK


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    click.echo(f"warning: {message}", err=True)


def _sentence_cache() -> SentenceCache:
    """The cache a build here would use: ``$MSAUDIO_CACHE_DIR``, else ``./podcast.toml``'s
    ``[build] cache``, else the user's cache folder."""
    from msaudio.cache import SentenceCache

    config = _local_config()
    return SentenceCache.from_environment(config.build.cache, config.root)


def _local_config() -> ShowConfig:
    """The show in the current folder when it has a podcast.toml, else the defaults."""
    root = Path.cwd()
    return load_config(root) if (root / CONFIG_NAME).is_file() else default_config(root)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into one line and an exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    if not debug:
        warnings.showwarning = _show_warning
    try:
        code = cli.main(args=argv, prog_name="msaudio", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        code = EXIT_FAILURES
    except MsaudioError as error:
        if debug:
            raise
        click.echo(f"error: {error}", err=True)
        code = EXIT_USAGE if isinstance(error, ConfigError) else EXIT_FAILURES
    sys.exit(code if isinstance(code, int) else EXIT_OK)
