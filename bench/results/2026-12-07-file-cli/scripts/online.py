import socket,sys,time,random
port=int(sys.argv[1]); nick=sys.argv[2]; end=time.time()+60
s=socket.create_connection(("127.0.0.1",port)); f=s.makefile('rb')
s.sendall(b"NICK probe%d\n"%random.randint(0,10**6))
while time.time()<end:
    s.sendall(("TELL %s :are you there\n"%nick).encode())
    while True:
        l=f.readline().decode()
        if l.startswith("OK TELL"): sys.exit(0)
        if l.startswith("ERR TELL"): break
    time.sleep(0.1)
sys.exit(1)
