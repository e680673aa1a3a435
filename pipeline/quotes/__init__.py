"""Quotes: who says what. Direct quotes in quotation marks or after a speaker's colon,
indirect speech after a cue verb (表示, 称, 指出 …), and reports introduced by 据/根据/援引,
each with its speaker resolved to an entity mention where the text allows it."""

from pipeline.quotes.find import CUES, Quote, find_quotes

__all__ = ["CUES", "Quote", "find_quotes"]
