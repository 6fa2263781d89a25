"""Channel adapters: how each channel's formats translate to and from the OMS's commands and documents.

Pure translation (parsing, mapping, signing, formatting), no database: the use cases that store and act
live in oms.services (channel_integrations, inbound, channel_documents, and one module per adapter).
"""
