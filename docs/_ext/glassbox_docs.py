"""Sphinx extension that writes the pages which follow the code.

At ``builder-inited`` (before Sphinx looks for source files) it writes:

``generated/api_sections.inc`` and one page per public object
    The API reference: every name in ``glassbox.__all__`` and in the
    ``__all__`` of each public subpackage (``glassbox.explain``,
    ``glassbox.plotting``, ``glassbox.utils``, the family packages), so a
    family's estimators appear as soon as it exports them.
``generated/families.inc``
    A toctree over the family pages ``docs/<family>.rst`` that exist, so no
    one edits ``index.rst`` to add a family.
Cross-references to an object by another of its public paths
(``glassbox.utils.FeatureBinner`` for ``glassbox.FeatureBinner``), to a
fitted attribute (``scorecards_``, listed in its class's Attributes) and to
scikit-learn resolve: see ``resolve_elsewhere``.

``auto_examples/index.rst``
    The examples gallery: each ``examples/plot_*.py`` with its docstring, its
    source and, when ``GLASSBOX_DOCS_RUN_EXAMPLES`` is not ``0``, the figures it
    saves (examples write them to ``$GLASSBOX_EXAMPLES_OUTPUT``).

Generated files land in folders that git ignores; they are rewritten only when
their content changes, so incremental builds stay incremental.
"""

import ast
import builtins
import importlib
import inspect
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

from docutils import nodes
from sphinx.pycode import ModuleAnalyzer
from sphinx.errors import PycodeError
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Pages written by hand; every other top-level page is a family page.
CORE_PAGES = {"index", "install", "explanations", "api"}
FAMILY_ORDER = ["linear", "gam", "rules", "scoring", "surrogate"]
SECTION_TITLES = {
    "glassbox": "Top level: estimators and loading",
    "glassbox.explain": "Explanations (``glassbox.explain``)",
    "glassbox.plotting": "Plotting (``glassbox.plotting``)",
    "glassbox.utils": "Utilities (``glassbox.utils``)",
    "glassbox.base": "The explanation contract (``glassbox.base``)",
}
EXAMPLE_TIMEOUT = 300  # seconds; a slow example only loses its figures


def write_if_changed(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def heading(text, underline):
    return f"{text}\n{underline * len(text)}\n"


# -- API reference ---------------------------------------------------------------------
def public_sections():
    """``[(module name, [public names])]``, each object documented once, at its first public path."""
    import glassbox

    modules = ["glassbox", "glassbox.explain", "glassbox.plotting", "glassbox.utils", "glassbox.base"]
    for info in sorted(pkgutil.iter_modules(glassbox.__path__), key=lambda m: m.name):
        name = f"glassbox.{info.name}"
        if info.ispkg and not info.name.startswith("_") and name not in modules:
            modules.append(name)
    seen, sections = set(), []
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # a half-built family must not take the docs down
            logger.warning(f"glassbox docs: cannot import {module_name}: {exc}")
            continue
        names = []
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if obj is None or id(obj) in seen:
                continue
            seen.add(id(obj))
            names.append(name)
        if names:
            sections.append((module_name, module, names))
    return sections


def object_page(module_name, name, obj):
    full = f"{module_name}.{name}"
    lines = [heading(full, "="), f".. currentmodule:: {module_name}\n"]
    if inspect.isclass(obj):
        lines.append(f".. autoclass:: {name}\n   :members:\n   :inherited-members:\n   :show-inheritance:\n")
    elif callable(obj):
        lines.append(f".. autofunction:: {name}\n")
    else:
        lines.append(data_directive(module_name, name, obj))
    return "\n".join(lines)


def data_directive(module_name, name, obj):
    """A constant's entry, titled by its public path, with the docstring written where it is assigned.

    autodoc reads a constant's docstring from the source of the module it
    names, and a re-exported constant is only imported by its public module.
    """
    prefix = module_name + "."
    for candidate in sorted(m for m in sys.modules if m.startswith(prefix)):
        if getattr(sys.modules[candidate], name, None) is not obj:
            continue
        try:
            docs = ModuleAnalyzer.for_module(candidate).find_attr_docs()
        except PycodeError:  # a compiled extension has no source to read
            continue
        if ("", name) in docs:
            body = "".join(f"   {line}\n" if line else "\n" for line in docs[("", name)])
            return f".. py:data:: {name}\n   :module: {module_name}\n\n{body}"
    return f".. autodata:: {name}\n   :no-value:\n"


def write_api_pages(srcdir):
    out = Path(srcdir) / "generated"
    written = set()
    body = []
    for module_name, module, names in public_sections():
        title = SECTION_TITLES.get(module_name, f"``{module_name}``")
        body.append(heading(title, "-"))
        body.append(f".. automodule:: {module_name}\n   :no-members:\n")
        body.append(f".. currentmodule:: {module_name}\n")
        body.append(".. autosummary::\n   :nosignatures:\n")
        body.extend(f"   {name}" for name in sorted(names))
        body.append("\n.. toctree::\n   :hidden:\n")
        for name in sorted(names):
            page = f"{module_name}.{name}"
            write_if_changed(out / f"{page}.rst", object_page(module_name, name, getattr(module, name)))
            written.add(f"{page}.rst")
            body.append(f"   generated/{page}")
        body.append("")
    write_if_changed(out / "api_sections.inc", "\n".join(body) + "\n")
    for stale in out.glob("*.rst"):
        if stale.name not in written:
            stale.unlink()


# -- family pages ----------------------------------------------------------------------
def family_pages(srcdir):
    pages = [p.stem for p in Path(srcdir).glob("*.rst") if p.stem not in CORE_PAGES]
    return sorted(pages, key=lambda p: (FAMILY_ORDER.index(p) if p in FAMILY_ORDER else len(FAMILY_ORDER), p))


def write_family_toctree(srcdir):
    pages = family_pages(srcdir)
    if pages:
        text = ".. toctree::\n   :maxdepth: 2\n   :caption: Model families\n\n" + "".join(f"   {p}\n" for p in pages)
    else:
        text = "*No model family has a page yet.*\n"
    write_if_changed(Path(srcdir) / "generated" / "families.inc", text)


# -- examples gallery ------------------------------------------------------------------
def example_scripts(srcdir):
    return sorted((Path(srcdir).parent / "examples").glob("plot_*.py"))


def split_docstring(path):
    """``(title, body, first source line after the docstring)`` of an example."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree) or path.stem
    first = tree.body[0] if tree.body else None
    has_doc = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant)
    start = first.end_lineno + 1 if has_doc else 1
    title, _, body = doc.partition("\n")
    return title.strip().rstrip(".") or path.stem, body.strip(), start


def run_example(script, image_dir):
    """Run one example with its figures going to ``image_dir``; return the PNGs it wrote."""
    if image_dir.exists():
        shutil.rmtree(image_dir)
    image_dir.mkdir(parents=True)
    env = dict(os.environ, MPLBACKEND="Agg", GLASSBOX_EXAMPLES_OUTPUT=str(image_dir))
    try:
        result = subprocess.run(
            [sys.executable, str(script)], cwd=image_dir, env=env, capture_output=True, text=True, timeout=EXAMPLE_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        logger.warning(f"glassbox docs: example {script.name} took over {EXAMPLE_TIMEOUT} s; shown without figures")
        return []
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        logger.warning(f"glassbox docs: example {script.name} failed; shown without figures:\n{tail}")
        return []
    return sorted(image_dir.glob("*.png"))


def figures_of(script, out, run):
    """Figures of an example, rerunning it only when its source is newer than them."""
    image_dir = out / "images" / script.stem
    stamp = image_dir / ".ran"
    if run and (not stamp.exists() or stamp.stat().st_mtime < script.stat().st_mtime):
        run_example(script, image_dir)
        stamp.touch()
    return sorted(image_dir.glob("*.png")) if image_dir.exists() else []


def example_page(script, out, run):
    """The page of one example and its first figure: ``(title, summary, thumbnail, text)``."""
    title, body, start = split_docstring(script)
    figures = figures_of(script, out, run)
    relative = os.path.relpath(script, out).replace(os.sep, "/")
    # The label matches sphinx-gallery's, so pages written for it link here too.
    parts = [f".. _sphx_glr_auto_examples_{script.name}:\n", heading(title, "=")]
    if body:
        parts.append(body + "\n")
    parts.append(f"Run it with ``python examples/{script.name}``.\n")
    for figure in figures:
        parts.append(f".. image:: {figure.relative_to(out).as_posix()}\n   :width: 90%\n")
    parts.append(f":download:`Download {script.name} <{relative}>`\n")
    parts.append(f".. literalinclude:: {relative}\n   :language: python\n   :lines: {start}-\n")
    summary = body.split("\n\n")[0].replace("\n", " ") if body else ""
    thumbnail = figures[0].relative_to(out).as_posix() if figures else None
    return title, summary, thumbnail, "\n".join(parts)


def write_examples_page(srcdir, run):
    out = Path(srcdir) / "auto_examples"
    index = [
        heading("Examples", "="),
        "Each example is a runnable script in the repository's ``examples/`` folder, a user story "
        "from data to explanation: ``python examples/<name>.py``.  Examples save their figures to "
        "the folder named by the environment variable ``GLASSBOX_EXAMPLES_OUTPUT`` (default "
        "``glassbox-demo-output/``).\n",
    ]
    entries, written = [], {"index.rst"}
    for script in example_scripts(srcdir):
        title, summary, thumbnail, text = example_page(script, out, run)
        write_if_changed(out / f"{script.stem}.rst", text)
        written.add(f"{script.stem}.rst")
        entries.append((script.stem, title))
        # A gallery card: the first figure, linking to the page, then the title and summary.
        index.append(heading(title, "-"))
        if thumbnail:
            index.append(f".. image:: {thumbnail}\n   :width: 45%\n   :target: {script.stem}.html\n")
        index.append(f":doc:`{script.stem}` {summary}\n")
    if entries:
        index.append(".. toctree::\n   :hidden:\n\n" + "".join(f"   {title} <{stem}>\n" for stem, title in entries))
    else:
        index.append("*No examples yet.*\n")
    write_if_changed(out / "index.rst", "\n".join(index))
    for stale in out.glob("*.rst"):
        if stale.name not in written:
            stale.unlink()


def generate(app):
    srcdir = app.srcdir
    write_api_pages(srcdir)
    write_family_toctree(srcdir)
    write_examples_page(srcdir, run=app.config.glassbox_run_examples)


def skip_sklearn_members(app, what, name, obj, skip, options):
    """Leave out methods scikit-learn defines (get_params, set_fit_request, score, ...).

    They behave as scikit-learn documents them, and their docstrings point at
    labels of scikit-learn's own documentation.
    """
    module = getattr(obj, "__module__", None) or ""
    if what == "class" and module.split(".")[0] == "sklearn":
        return True
    return None


# -- cross-references ------------------------------------------------------------------
SKLEARN_API = "https://scikit-learn.org/stable/modules/generated/{}.html"


def import_dotted(path):
    """The object at a dotted path (``glassbox.utils.FeatureBinner``), or None."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return None
        return obj
    return None


def identity(obj):
    """A key equal for every path to the same object (bound classmethods are new objects each time)."""
    obj = getattr(obj, "__func__", obj)
    qualname = getattr(obj, "__qualname__", None)
    return (getattr(obj, "__module__", None), qualname) if qualname else id(obj)


def documented_paths(env):
    """``{identity: documented full name}`` of every object the Python domain holds."""
    cache = getattr(env, "_glassbox_documented", None)
    domain = env.get_domain("py")
    if cache is None or cache[0] != len(domain.objects):
        paths = {}
        for name in sorted(domain.objects, key=len):
            obj = import_dotted(name)
            if obj is not None:
                paths.setdefault(identity(obj), name)
        cache = (len(domain.objects), paths)
        env._glassbox_documented = cache
    return cache[1]


def candidate_paths(target, module, cls, refdoc):
    """Where ``target`` may live: the reference's class and module, the module that
    defines the object whose docstring holds it (for pages under ``generated/``), ``glassbox``."""
    target = target.lstrip("~.")
    scopes = [f"{module}.{cls}" if module and cls else None, module]
    documented_object = import_dotted(refdoc.split("/", 1)[1]) if refdoc.startswith("generated/") else None
    defining_module = getattr(getattr(documented_object, "__func__", documented_object), "__module__", None)
    if defining_module:  # the module, then its packages (``glassbox.surrogate`` for ``glassbox.surrogate.frontier``)
        parts = defining_module.split(".")
        scopes += [".".join(parts[:end]) for end in range(len(parts), 1, -1)]
    scopes += ["glassbox", None]
    return [f"{scope}.{target}" if scope else target for scope in scopes]


def resolve_elsewhere(app, env, node, contnode):
    """Resolve a Python reference Sphinx did not find under the path it was written with."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    if target.startswith("sklearn."):
        reference = nodes.reference("", "", internal=False, refuri=SKLEARN_API.format(target), reftitle=target)
        reference += contnode
        return reference
    if hasattr(builtins, target) or any(part.startswith("_") for part in target.split(".")):
        return contnode  # :func:`str`, a private helper: no page of ours to link, shown as text
    domain, paths = env.get_domain("py"), documented_paths(env)
    for path in candidate_paths(target, node.get("py:module"), node.get("py:class"), node["refdoc"]):
        obj = import_dotted(path)
        documented = paths.get(identity(obj)) if obj is not None else None
        if documented is None and "." in path:
            # a fitted attribute (``scorecards_``) lives in its class's Attributes section
            owner_path, attribute = path.rsplit(".", 1)
            owner = import_dotted(owner_path)
            if inspect.isclass(owner) and attribute in (owner.__doc__ or ""):
                documented = paths.get(identity(owner))
        if documented is not None:
            return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", documented, node.deepcopy(), contnode)
    return None


def public_bases(app, name, obj, options, bases):
    """Show only public base classes: private helpers (``_GAMParams``) have no page to link."""
    def private(base):
        path = f"{getattr(base, '__module__', '')}.{getattr(base, '__name__', '')}"
        return any(part.startswith("_") for part in path.split(".") if part)

    bases[:] = [base for base in bases if not private(base)]


def setup(app):
    app.add_config_value("glassbox_run_examples", True, "env")
    app.connect("builder-inited", generate)
    app.connect("autodoc-skip-member", skip_sklearn_members)
    app.connect("autodoc-process-bases", public_bases)
    app.connect("missing-reference", resolve_elsewhere)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
