"""Gazette's demo newsroom: original stories, contributors and pictures drawn with Pillow."""
