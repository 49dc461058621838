"""Building the spaCy pipeline of a language from the config shipped in `pipelines/`."""

from __future__ import annotations

from importlib import resources as importlib_resources
from pathlib import Path

import spacy
from spacy.language import Language

# importing the component modules registers their factories
from extractor import resources, tokenizers  # noqa: F401  (registers the character tokenizer)
from extractor.components import (  # noqa: F401
    assembler,
    authorities,
    context,
    dates,
    money,
    sentences,
    targets,
    triggers,
)

DEFAULT_CONFIG = "default.cfg"


def config_path(name: str = DEFAULT_CONFIG) -> Path:
    """Path of a pipeline config: a file path as given, else one shipped with the package."""
    p = Path(name)
    if p.is_file():
        return p
    try:
        shipped = importlib_resources.files("extractor.pipelines") / name
        if shipped.is_file():
            return Path(str(shipped))
    except ModuleNotFoundError:
        pass
    source_tree = Path(__file__).resolve().parent.parent / "pipelines" / name
    if source_tree.is_file():
        return source_tree
    raise FileNotFoundError(f"no pipeline config named {name!r}")


def load(lang: str, config: str = DEFAULT_CONFIG) -> Language:
    """The pipeline for `lang`: `spacy.blank(lang)` with the config's components. Downloads nothing."""
    overrides: dict[str, object] = {"nlp.lang": lang}
    if resources.lexicon(lang).get("segmentation") == "characters":
        # no spaces between words: one token per character, no segmenter model to download
        overrides["nlp.tokenizer"] = {"@tokenizers": "enforcement.CharacterTokenizer.v1"}
    cfg = spacy.util.load_config(config_path(config), overrides=overrides, interpolate=False)
    return spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
