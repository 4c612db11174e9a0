// Config fixture: a plain JavaScript config file.
export default { server: { port: 7000 }, strictDiscovery: true };
