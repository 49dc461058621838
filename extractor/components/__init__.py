"""spaCy components of the default pipeline, each registered with `@Language.factory`.

`extractor.pipeline` imports every module here, which registers the factories.
"""
