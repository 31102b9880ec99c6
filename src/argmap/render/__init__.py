"""Renderings of argmap results: Rich trees and tables, plain text, JSON."""
