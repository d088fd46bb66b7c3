"""OpenTrain's public API: the client (``client``) and its lenient response models (``models``).

The shared pieces (request path, root-URL check, lenient kit, errors, retry) live one
level up in ``wizard.api``; nothing here imports the Recruitsome client.
"""
