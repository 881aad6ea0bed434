// @peculiar/x509 relies on decorator metadata; it must be loaded before any x509 import.
import 'reflect-metadata';
